namespace Feedstand.MachineReaders;

/// <summary>Pages for programs that read: the Markdown twins, llms.txt and the MCP endpoint.</summary>
public static class MachineReadersSetup
{
    public static IServiceCollection AddMachineReaders(this IServiceCollection services) => services.AddFeedstandMcp();

    public static IEndpointRouteBuilder MapMachineReaders(this IEndpointRouteBuilder routes)
    {
        routes.MapMarkdownTwins();
        routes.MapFeedstandMcp();
        return routes;
    }
}
