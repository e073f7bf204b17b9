namespace Serverless.Pipeline.Tests.Triggers;

public sealed class RepositoryUrlTests
{
    [Theory]
    [InlineData("https://github.com/contoso/platform-network")]
    [InlineData("https://github.com/contoso/platform-network.git")]
    [InlineData("https://github.com/contoso/platform-network/")]
    [InlineData("https://github.com/contoso/platform-network.git/")]
    [InlineData("https://GitHub.com/Contoso/Platform-Network")]
    [InlineData("  https://github.com/contoso/platform-network  ")]
    [InlineData("http://github.com/contoso/platform-network")]
    [InlineData("https://github.com:443/contoso/platform-network")]
    [InlineData("https://ann:ghp_token@github.com/contoso/platform-network.git")]
    [InlineData("https://github.com/contoso/platform-network?tab=readme#top")]
    [InlineData("git@github.com:contoso/platform-network.git")]
    [InlineData("git@github.com:Contoso/Platform-Network")]
    [InlineData("github.com:contoso/platform-network.git")]
    [InlineData("ssh://git@github.com/contoso/platform-network.git")]
    [InlineData("ssh://git@github.com:22/contoso/platform-network")]
    [InlineData("git://github.com/contoso/platform-network.git")]
    public void Every_spelling_of_a_repository_is_one_URL(string url) =>
        Assert.Equal("https://github.com/contoso/platform-network", RepositoryUrl.Normalize(url));

    [Theory]
    [InlineData("git@ssh.dev.azure.com:v3/contoso/Platform/network", "https://dev.azure.com/contoso/platform/_git/network")]
    [InlineData("https://contoso@dev.azure.com/contoso/Platform/_git/network", "https://dev.azure.com/contoso/platform/_git/network")]
    [InlineData("https://git.contoso.example:8443/infra/network.git", "https://git.contoso.example:8443/infra/network")]
    [InlineData("file:///srv/git/Network.git", "file:///srv/git/network")]
    [InlineData("https://gitlab.example/group/sub-group/network.git", "https://gitlab.example/group/sub-group/network")]
    public void Other_hosts_keep_what_identifies_them(string url, string normalized) =>
        Assert.Equal(normalized, RepositoryUrl.Normalize(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a url")]
    [InlineData("ftp://example.com/x")]
    [InlineData("https://github.com/")]
    [InlineData("https://")]
    [InlineData("C:\\repos\\network")]
    public void What_is_not_a_repository_URL_has_no_normal_form(string? url) =>
        Assert.Null(RepositoryUrl.Normalize(url));

    [Fact]
    public void The_index_key_is_the_same_for_every_spelling_and_fits_a_table_key()
    {
        var a = RepositoryUrl.Key(RepositoryUrl.Normalize("git@github.com:contoso/platform-network.git")!);
        var b = RepositoryUrl.Key(RepositoryUrl.Normalize("https://github.com/Contoso/platform-network")!);
        var other = RepositoryUrl.Key(RepositoryUrl.Normalize("https://github.com/contoso/platform-data")!);

        Assert.Equal(a, b);
        Assert.NotEqual(a, other);
        Assert.Matches("^[0-9a-f]{32}$", a);
    }
}
