using System.Text.Json.Serialization;

namespace UserServices.Api.Sessions;

/// <summary>The body of <c>GET /user/sessions</c> and <c>GET /admin/users/{id}/sessions</c>.</summary>
public sealed record SessionList([property: JsonPropertyName("sessions")] IReadOnlyList<SessionView> Sessions);
