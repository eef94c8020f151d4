using System.CommandLine;

namespace Feedstand.Commands;

internal static class AddCommand
{
    public static Command Create()
    {
        var command = new Command("add", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("add: not built yet.");
            return 2;
        });
        return command;
    }
}
