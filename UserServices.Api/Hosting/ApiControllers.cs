using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace UserServices.Api.Hosting;

public static class ApiControllers
{
    /// <summary>The API's controllers.</summary>
    internal static WebApplicationBuilder AddApiControllers(this WebApplicationBuilder builder)
    {
        builder.Services.AddControllers(options =>
        {
            // MVC's jQuery-style form keys (a[b][c]) are a feature nobody here uses, and a malformed one throws an
            // ArgumentException while binding — a 500 for a bad request. The plain form and query providers remain.
            options.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
            options.ValueProviderFactories.RemoveType<JQueryQueryStringValueProviderFactory>();
            options.Filters.Add<NoStoreForAccountData>();
            options.Filters.Add(new RequestBodyRules());
        })
        // RFC 7493 §2.3 (I-JSON): member names are unique. Last-wins would let a gateway that reads the first value
        // see another request than the one acted on.
        .AddJsonOptions(json =>
        {
            json.JsonSerializerOptions.AllowDuplicateProperties = false;
            json.JsonSerializerOptions.Converters.Add(new NoNulStrings());
        });
        // A body or parameter MVC could not bind: every field at once, named and explained in the API's words.
        builder.Services.Configure<ApiBehaviorOptions>(options => options.InvalidModelStateResponseFactory = context =>
            ProblemResponses.InvalidFields(
                BindingErrors.Describe(context.ModelState, context.ActionDescriptor.Parameters
                    .FirstOrDefault(p => p.BindingInfo?.BindingSource == BindingSource.Body)?.ParameterType),
                ProblemResponses.InvalidRequestDetail).ToResult());
        return builder;
    }
}
