using System.CommandLine;
using Feedstand.Data;
using Feedstand.Pages.Admin;
using Microsoft.EntityFrameworkCore;

namespace Feedstand.Commands;

/// <summary><c>admin create NAME</c>: creates an admin account (or sets its password); the password comes on standard input.</summary>
internal static class AdminCommand
{
    public const int MinPasswordLength = 10;

    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The account name." };
        var create = new Command("create", "Create an admin account; reads the password from standard input.") { name };
        create.SetAction((parseResult, ct) => CreateAsync(parseResult.GetValue(name)!, Console.In, ct));
        return new Command("admin", "Manage admin accounts.") { create };
    }

    /// <summary>A line typed on the terminal without echo: Backspace erases, Enter ends, Ctrl+C or Ctrl+D gives up.</summary>
    private static string? ReadHidden()
    {
        var typed = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    return typed.ToString();
                case ConsoleKey.Backspace:
                    if (typed.Length > 0)
                    {
                        typed.Length--;
                    }
                    break;
                default:
                    if (key.KeyChar == '\u0004' || key.KeyChar == '\u0003')
                    {
                        return null;
                    }
                    if (!char.IsControl(key.KeyChar))
                    {
                        typed.Append(key.KeyChar);
                    }
                    break;
            }
        }
    }

    private static async Task<int> CreateAsync(string name, TextReader input, CancellationToken ct)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100)
        {
            await Console.Error.WriteLineAsync("admin: the name must be 1 to 100 characters");
            return 1;
        }
        string? password;
        if (!Console.IsInputRedirected)
        {
            // Typed on a terminal: not echoed. Piped in (scripts, tests): one line of standard input.
            await Console.Error.WriteAsync($"Password for {name}: ");
            password = ReadHidden();
            await Console.Error.WriteLineAsync();
        }
        else
        {
            password = (await input.ReadLineAsync(ct))?.TrimEnd('\r', '\n');
        }
        if (password is null || password.Length < MinPasswordLength)
        {
            await Console.Error.WriteLineAsync($"admin: the password (one line on standard input) must be at least {MinPasswordLength} characters");
            return 1;
        }
        using var host = CommandSetup.TryBuildHost("admin");
        if (host is null)
        {
            return 2;
        }
        try
        {
            await FeedstandServices.MigrateAsync(host.Services, ct);
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FeedstandDb>();
            var account = await db.AdminAccounts.SingleOrDefaultAsync(a => a.Name == name, ct);
            var created = account is null;
            account ??= db.AdminAccounts.Add(new AdminAccount { Name = name, PasswordHash = "", CreatedAt = DateTimeOffset.UtcNow }).Entity;
            account.PasswordHash = LoginModel.Hash(account, password);
            account.FailedLogins = 0;
            account.LockedUntil = null;
            await db.SaveChangesAsync(ct);
            await Console.Error.WriteLineAsync(created ? $"admin: created {name}" : $"admin: password of {name} changed");
            return 0;
        }
        catch (Exception ex) when (CommandSetup.IsDatabaseError(ex))
        {
            await Console.Error.WriteLineAsync($"admin: {ex.Message}");
            return 2;
        }
    }
}
