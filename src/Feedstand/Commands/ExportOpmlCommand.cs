using System.CommandLine;

namespace Feedstand.Commands;

internal static class ExportOpmlCommand
{
    public static Command Create()
    {
        var command = new Command("export-opml", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("export-opml: not built yet.");
            return 2;
        });
        return command;
    }
}
