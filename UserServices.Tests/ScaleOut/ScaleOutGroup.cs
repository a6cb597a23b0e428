namespace UserServices.Tests.ScaleOut;

/// <summary>
/// The scale-out tests run alone: three replicas, nginx, Redis and a PostgreSQL of their own on a 2-core machine,
/// and outages of Redis and PostgreSQL that no other test should see.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScaleOutGroup : ICollectionFixture<ScaleOutFixture>
{
    public const string Name = "ScaleOut";
}
