using System.CommandLine;

namespace Feedstand.Commands;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("migrate: not built yet.");
            return 2;
        });
        return command;
    }
}
