using System.CommandLine;

namespace Feedstand.Commands;

internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("serve: not built yet.");
            return 2;
        });
        return command;
    }
}
