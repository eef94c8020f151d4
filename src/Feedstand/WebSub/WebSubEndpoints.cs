using Feedstand.Settings;
using Feedstand.Web;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Feedstand.WebSub;

/// <summary>
/// The WebSub routes: /websub/callback/{token} (our subscriptions: the hubs' verification GET and
/// content POST) and /websub/hub (the hub of the re-published feeds). Plain-text answers for
/// programs; 404 for everything while WebSub is off.
/// </summary>
public static class WebSubEndpoints
{
    public static IEndpointRouteBuilder MapWebSubEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/websub/callback/{token}", VerifyAsync);
        routes.MapPost("/websub/callback/{token}", PushAsync);
        routes.MapPost("/websub/hub", HubAsync).RequireRateLimiting(RateLimits.WebSub);
        return routes;
    }

    public static async Task<IResult> VerifyAsync(HttpRequest request, WebSubSubscriber subscriber, string token, CancellationToken ct)
    {
        var query = request.Query;
        var answer = await subscriber.VerifyAsync(token, query["hub.mode"], query["hub.topic"], query["hub.challenge"],
            query["hub.lease_seconds"], query["hub.reason"], ct);
        return answer is null
            ? TypedResults.NotFound()
            : TypedResults.Text(answer, "text/plain; charset=utf-8");
    }

    /// <summary>The body is read in full first (capped at MAX_BODY_BYTES), checked, queued, and answered 202 at once.</summary>
    public static async Task<IResult> PushAsync(HttpContext context, WebSubSubscriber subscriber, IOptions<FeedstandOptions> options, string token, CancellationToken ct)
    {
        if (!subscriber.IsEnabled)
        {
            return TypedResults.NotFound();
        }
        var maxBytes = options.Value.MaxBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }
        if (context.Request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, ct);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(maxBytes);
        }
        if (body.Length > maxBytes)
        {
            return TooLarge(maxBytes);
        }
        var verdict = await subscriber.AcceptPushAsync(token, body, context.Request.ContentType, context.Request.Headers[HubSignature.HeaderName], ct);
        return verdict switch
        {
            PushVerdict.Accepted or PushVerdict.Ignored => TypedResults.Accepted((string?)null),
            PushVerdict.Busy => TypedResults.Text("too many pushes waiting; retry later", "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable),
            _ => TypedResults.StatusCode(StatusCodes.Status410Gone),
        };
    }

    public static async Task<IResult> HubAsync(HttpRequest request, WebSubHub hub, CancellationToken ct)
    {
        if (!hub.IsEnabled)
        {
            return TypedResults.NotFound();
        }
        if (!request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Text(StatusCodes.Status400BadRequest, "send hub.mode, hub.callback and hub.topic as application/x-www-form-urlencoded");
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return Text(StatusCodes.Status400BadRequest, "the form body could not be read: " + ex.Message);
        }
        var answer = await hub.AcceptAsync(form, Api.RepublishEndpoints.Origin(request), ct);
        return Text(answer.Status, answer.Message);
    }

    private static ContentHttpResult TooLarge(long maxBytes) =>
        Text(StatusCodes.Status413PayloadTooLarge, $"the pushed body is larger than {Crawling.FeedFetcher.FormatBytes(maxBytes)}");

    private static ContentHttpResult Text(int status, string message) => TypedResults.Text(message + "\n", "text/plain; charset=utf-8", statusCode: status);
}
