using System.CommandLine;

namespace Feedstand.Commands;

internal static class RefreshCommand
{
    public static Command Create()
    {
        var command = new Command("refresh", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("refresh: not built yet.");
            return 2;
        });
        return command;
    }
}
