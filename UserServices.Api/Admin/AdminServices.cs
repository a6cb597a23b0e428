namespace UserServices.Api.Admin;

public static class AdminServices
{
    /// <summary>The seeded admin account and the <c>/admin</c> API.</summary>
    public static WebApplicationBuilder AddAdmin(this WebApplicationBuilder builder) => builder.AddAdminSeeding().AddAdminApi();
}
