using System.CommandLine;

namespace Feedstand.Commands;

internal static class ImportOpmlCommand
{
    public static Command Create()
    {
        var command = new Command("import-opml", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("import-opml: not built yet.");
            return 2;
        });
        return command;
    }
}
