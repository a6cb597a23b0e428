using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace UserServices.Api.Errors;

public static class MvcInputOptions
{
    /// <summary>
    /// MVC's jQuery-style form keys (<c>a[b][c]</c>) are a feature nobody here uses, and a malformed one throws an
    /// ArgumentException while binding — a 500 for a bad request. The plain form and query providers remain.
    /// </summary>
    public static void RemoveJQueryValueProviders(this MvcOptions options)
    {
        options.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
        options.ValueProviderFactories.RemoveType<JQueryQueryStringValueProviderFactory>();
    }
}
