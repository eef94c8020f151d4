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
    BackupCommand.Create(),
    CheckCommand.Create(),
    TranslateCommand.Create(),
    ExtractCommand.Create(),
    BenchExtractCommand.Create(),
};

// SIGTERM and Ctrl-C cancel the command's token; a refresh then finishes the group it is writing
// and gives back its leases, which takes well under 10 s.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(10) });

/// <summary>The entry point, public so that web tests can start the app.</summary>
public partial class Program;
