using System.ComponentModel.DataAnnotations;

namespace UserServices.Api.Hosting;

public sealed class TransportOptions
{
    public const string Section = "Transport";

    /// <summary>Redirect HTTP to HTTPS and send HSTS: for deployments where TLS ends in this service.</summary>
    public bool RequireHttps { get; set; }

    /// <summary>The port HTTP requests are redirected to; behind a TLS-terminating listener it can't be discovered.</summary>
    [Range(1, 65535, ErrorMessage = "Transport:HttpsPort must be a port number between 1 and 65535.")]
    public int HttpsPort { get; set; } = 443;

    /// <summary>Origins allowed to call the API from a browser. Empty: no CORS headers at all.</summary>
    public string[] CorsOrigins { get; set; } = [];
}
