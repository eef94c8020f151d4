namespace Feedstand.Api;

/// <summary>The data routes: the JSON API, the re-published feeds (plain and translated) and OPML.</summary>
public static class ApiSetup
{
    /// <summary>The API's CORS policy: any origin may read (GET, HEAD) and see the validators.</summary>
    public static IServiceCollection AddApi(this IServiceCollection services) =>
        services.AddCors(cors => cors.AddPolicy(FeedsApi.CorsPolicy, policy =>
            policy.AllowAnyOrigin().WithMethods("GET", "HEAD").WithExposedHeaders("ETag", "Last-Modified")));

    public static IEndpointRouteBuilder MapApi(this IEndpointRouteBuilder routes)
    {
        routes.MapFeedsApi();
        routes.MapRepublishEndpoints();
        routes.MapTranslatedFeedEndpoints();
        routes.MapOpmlEndpoints();
        return routes;
    }
}
