namespace UserServices.Tests.Containers;

/// <summary>
/// The container tests run alone: building the image runs a Release publish inside a container, which on a 2-core
/// machine would skew the timed tests of any class running beside it. The image is built once for the group.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ContainerGroup : ICollectionFixture<ServiceImageFixture>
{
    public const string Name = "Containers";
}
