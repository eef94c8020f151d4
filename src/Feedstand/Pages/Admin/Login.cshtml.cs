using System.Security.Claims;
using Feedstand.Data;
using Feedstand.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Pages.Admin;

/// <summary>/admin/login: accounts from <c>admin create</c>; 5 failed attempts lock an account for 15 minutes.</summary>
[EnableRateLimiting(RateLimits.Login)]
public sealed class LoginModel(FeedstandDb db, TimeProvider clock) : PageModel
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);

    private static readonly PasswordHasher<AdminAccount> Hasher = new();

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public string? Problem { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Name) || string.IsNullOrEmpty(Password))
        {
            Problem = UiText.T("login.missing");
            return Page();
        }
        var now = clock.GetUtcNow();
        var account = await db.AdminAccounts.SingleOrDefaultAsync(a => a.Name == Name.Trim(), ct);
        if (account is null)
        {
            Problem = UiText.T("login.wrong");
            return Page();
        }
        if (account.LockedUntil > now)
        {
            Problem = UiText.T("login.locked", Formats.DisplayDate(account.LockedUntil.Value));
            return Page();
        }
        var verified = Hasher.VerifyHashedPassword(account, account.PasswordHash, Password);
        if (verified == PasswordVerificationResult.Failed)
        {
            account.FailedLogins++;
            if (account.FailedLogins >= MaxFailures)
            {
                account.FailedLogins = 0;
                account.LockedUntil = now + Lockout;
            }
            await db.SaveChangesAsync(ct);
            Problem = account.LockedUntil > now
                ? UiText.T("login.locked", Formats.DisplayDate(account.LockedUntil.Value))
                : UiText.T("login.wrong");
            return Page();
        }
        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
        {
            account.PasswordHash = Hasher.HashPassword(account, Password);
        }
        account.FailedLogins = 0;
        account.LockedUntil = null;
        await db.SaveChangesAsync(ct);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, account.Name)], CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin");
    }

    public async Task<IActionResult> OnPostLogoutAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/");
    }

    /// <summary>The stored form of a password, for <c>admin create</c>.</summary>
    public static string Hash(AdminAccount account, string password) => Hasher.HashPassword(account, password);
}
