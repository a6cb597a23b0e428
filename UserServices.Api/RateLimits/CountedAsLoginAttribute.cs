namespace UserServices.Api.RateLimits;

/// <summary>
/// Marks the endpoint whose rate-limit refusals count as refused logins (<c>userservices_logins_total</c>); other
/// endpoints under the same policy (revocation shares the token endpoint's) are no logins.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class CountedAsLoginAttribute : Attribute;
