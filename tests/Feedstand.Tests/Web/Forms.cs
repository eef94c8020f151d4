using AngleSharp.Html.Dom;
using Feedstand.Tests.Infrastructure;

namespace Feedstand.Tests.Web;

/// <summary>Fills and posts a form the way a browser would, antiforgery token included.</summary>
public static class Forms
{
    public static async Task<HttpResponseMessage> PostAsync(
        HttpClient client, string path, IDictionary<string, string> fields, string formSelector = "main form[method=post]", string? action = null)
    {
        using var get = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var page = await TestApp.ParseAsync(get);
        var form = (IHtmlFormElement?)page.QuerySelector(formSelector) ?? throw new InvalidOperationException($"no form {formSelector} on {path}");
        var values = new Dictionary<string, string>();
        foreach (var input in form.QuerySelectorAll("input[type=hidden]"))
        {
            values[input.GetAttribute("name")!] = input.GetAttribute("value") ?? "";
        }
        foreach (var (key, value) in fields)
        {
            values[key] = value;
        }
        var target = action ?? form.GetAttribute("action") ?? path;
        if (target.Length == 0)
        {
            target = path;
        }
        using var content = new FormUrlEncodedContent(values);
        return await client.PostAsync(target, content, TestContext.Current.CancellationToken);
    }
}
