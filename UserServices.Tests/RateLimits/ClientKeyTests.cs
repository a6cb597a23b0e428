using System.Net;
using UserServices.Api.RateLimits;

namespace UserServices.Tests.RateLimits;

public sealed class ClientKeyTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void Clients_are_keyed_by_ipv4_address_or_ipv6_slash_64(string address, string key) =>
        AuthRateLimiting.ClientKey(IPAddress.Parse(address)).ShouldBe(key);

    [Fact]
    public void Unknown_address_shares_one_key() =>
        AuthRateLimiting.ClientKey(null).ShouldBe("unknown");
}
