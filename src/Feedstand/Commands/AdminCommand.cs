using System.CommandLine;

namespace Feedstand.Commands;

internal static class AdminCommand
{
    public static Command Create()
    {
        var command = new Command("admin", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("admin: not built yet.");
            return 2;
        });
        return command;
    }
}
