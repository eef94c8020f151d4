namespace Feedstand.Seeding;

/// <summary>The starter directory of an empty database and the loader of its feeds' snapshots (a background service of <c>serve</c>).</summary>
public static class SeedingSetup
{
    public static IServiceCollection AddSeeding(this IServiceCollection services)
    {
        services.AddScoped<Seeder>();
        services.AddSingleton<PendingSnapshots>();
        services.AddHostedService<SnapshotLoader>();
        return services;
    }
}
