using System.CommandLine;
using Feedstand.Commands;

var root = new RootCommand("Feedstand: a directory of web feeds with a preview page for every feed.")
{
    ServeCommand.Create(),
    ParseCommand.Create(),
    BenchParseCommand.Create(),
    AddCommand.Create(),
    RefreshCommand.Create(),
    ImportOpmlCommand.Create(),
    ExportOpmlCommand.Create(),
    MigrateCommand.Create(),
    AdminCommand.Create(),
    ExtractCommand.Create(),
    BenchExtractCommand.Create(),
};

return await root.Parse(args).InvokeAsync();

/// <summary>The entry point, public so that web tests can start the app.</summary>
public partial class Program;
