using System.Net;
using Feedstand.Crawling;

namespace Feedstand.Tests.Crawling;

public class AddressGuardTests
{
    private static AddressGuard Guard(bool allowPrivate = false) => new(
        Microsoft.Extensions.Options.Options.Create(new Settings.FeedstandOptions { AllowPrivateAddresses = allowPrivate }),
        new NameLookups(TimeProvider.System));

    public static TheoryData<string> PrivateAddresses => new()
    {
        "127.0.0.1", "127.8.9.10", "10.0.0.5", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "169.254.0.1",
        "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250", "255.255.255.255", "198.18.0.1",
        "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.5", "::ffff:169.254.169.254",
        "64:ff9b::a00:5", "2002:a00:5::1",
    };

    public static TheoryData<string> PublicAddresses => new()
    {
        "93.184.216.34", "1.1.1.1", "8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1", "192.169.0.1", "2606:4700::1111", "::ffff:93.184.216.34",
    };

    [Theory, MemberData(nameof(PrivateAddresses))]
    public void Private_loopback_link_local_and_special_addresses_are_not_public(string address) =>
        Assert.False(AddressGuard.IsPublic(IPAddress.Parse(address)));

    [Theory, MemberData(nameof(PublicAddresses))]
    public void Ordinary_internet_addresses_are_public(string address) =>
        Assert.True(AddressGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("ftp://example.com/feed")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://example.com/")]
    public void Only_http_and_https_are_fetched(string url)
    {
        var error = AddressGuard.CheckScheme(new Uri(url));

        Assert.Equal(FetchErrorKind.Blocked, error?.Kind);
    }

    [Fact]
    public async Task A_url_with_a_private_address_literal_is_refused_with_a_clear_message()
    {
        var guard = Guard();

        var error = await guard.CheckUrlAsync("http://169.254.169.254/latest/meta-data/", TestContext.Current.CancellationToken);

        Assert.Equal(FetchErrorKind.Blocked, error?.Kind);
        Assert.Equal("refused: 169.254.169.254 resolves to a private address (169.254.169.254)", error!.Message);
    }

    [Fact]
    public async Task A_private_address_is_allowed_only_when_configured()
    {
        var guard = Guard(allowPrivate: true);

        Assert.Null(await guard.CheckUrlAsync("http://10.0.0.5/feed", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Not_a_url_is_an_invalid_url()
    {
        var guard = Guard();

        var error = await guard.CheckUrlAsync("not a url", TestContext.Current.CancellationToken);

        Assert.Equal(FetchErrorKind.InvalidUrl, error?.Kind);
    }

    [Fact]
    public async Task A_host_longer_than_a_name_can_be_is_a_name_that_does_not_resolve()
    {
        var guard = Guard();
        var host = string.Join('.', Enumerable.Repeat(new string('a', 60), 5)) + ".com";

        var error = await guard.CheckUrlAsync($"http://{host}/feed", TestContext.Current.CancellationToken);

        Assert.Equal(FetchErrorKind.Dns, error?.Kind);
        Assert.StartsWith($"cannot resolve {host}: ", error!.Message, StringComparison.Ordinal);
    }
}
