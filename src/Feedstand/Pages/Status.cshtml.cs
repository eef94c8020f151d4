using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Feedstand.Pages;

/// <summary>/status/{code}: the page shown for 404 and other error statuses of HTML routes.</summary>
public sealed class StatusModel : PageModel
{
    public int Code { get; private set; }

    public void OnGet(int code) => Code = code;
}
