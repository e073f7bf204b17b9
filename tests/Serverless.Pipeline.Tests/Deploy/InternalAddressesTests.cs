using Serverless.Pipeline.Deploy;

namespace Serverless.Pipeline.Tests.Deploy;

public sealed class InternalAddressesTests
{
    [Theory]
    // IPv4
    [InlineData("127.0.0.1", InternalAddresses.Loopback)]
    [InlineData("127.255.3.4", InternalAddresses.Loopback)]
    [InlineData("169.254.0.1", InternalAddresses.LinkLocal)]
    [InlineData("10.0.0.1", InternalAddresses.Private)]
    [InlineData("172.16.0.1", InternalAddresses.Private)]
    [InlineData("172.31.255.254", InternalAddresses.Private)]
    [InlineData("192.168.1.1", InternalAddresses.Private)]
    [InlineData("100.64.0.1", InternalAddresses.Shared)]
    [InlineData("100.127.255.254", InternalAddresses.Shared)]
    [InlineData("0.0.0.0", InternalAddresses.Unspecified)]
    [InlineData("0.1.2.3", InternalAddresses.Unspecified)]
    [InlineData("224.0.0.1", InternalAddresses.Multicast)]
    [InlineData("239.255.255.250", InternalAddresses.Multicast)]
    [InlineData("255.255.255.255", InternalAddresses.Reserved)]
    // IPv6
    [InlineData("::1", InternalAddresses.Loopback)]
    [InlineData("::", InternalAddresses.Unspecified)]
    [InlineData("fe80::1", InternalAddresses.LinkLocal)]
    [InlineData("fe80::1%2", InternalAddresses.LinkLocal)]
    [InlineData("febf::1", InternalAddresses.LinkLocal)]
    [InlineData("fc00::1", InternalAddresses.UniqueLocal)]
    [InlineData("fdff:ffff::1", InternalAddresses.UniqueLocal)]
    [InlineData("ff02::1", InternalAddresses.Multicast)]
    [InlineData("::127.0.0.1", InternalAddresses.Reserved)]
    // IPv4 inside IPv6: mapped, NAT64, 6to4
    [InlineData("::ffff:127.0.0.1", InternalAddresses.Loopback)]
    [InlineData("::ffff:7f00:1", InternalAddresses.Loopback)]
    [InlineData("::ffff:10.1.2.3", InternalAddresses.Private)]
    [InlineData("::ffff:169.254.1.1", InternalAddresses.LinkLocal)]
    [InlineData("::ffff:100.64.0.1", InternalAddresses.Shared)]
    [InlineData("::ffff:0.0.0.0", InternalAddresses.Unspecified)]
    [InlineData("::ffff:224.0.0.1", InternalAddresses.Multicast)]
    [InlineData("64:ff9b::7f00:1", InternalAddresses.Loopback)]
    [InlineData("64:ff9b::a9fe:a9fe", InternalAddresses.Metadata)]
    [InlineData("2002:c0a8:0101::1", InternalAddresses.Private)]
    // Cloud metadata
    [InlineData("169.254.169.254", InternalAddresses.Metadata)]
    [InlineData("::ffff:169.254.169.254", InternalAddresses.Metadata)]
    [InlineData("fd00:ec2::254", InternalAddresses.Metadata)]
    [InlineData("168.63.129.16", InternalAddresses.Metadata)]
    [InlineData("::ffff:168.63.129.16", InternalAddresses.Metadata)]
    public void Internal_addresses_are_named_by_their_kind(string address, string kind) =>
        Assert.Equal(kind, InternalAddresses.KindOf(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("20.50.2.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("168.63.129.17")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:0808:0808::1")]
    public void Public_addresses_are_not_internal(string address) =>
        Assert.Null(InternalAddresses.KindOf(IPAddress.Parse(address)));
}
