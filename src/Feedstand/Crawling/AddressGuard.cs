using System.Net;
using System.Net.Sockets;
using Feedstand.Settings;
using Microsoft.Extensions.Options;

namespace Feedstand.Crawling;

/// <summary>
/// The SSRF guard: fetches reach only public addresses. The host name is resolved and every
/// address checked; the connection is then made to a checked address, inside
/// <see cref="SocketsHttpHandler.ConnectCallback"/>, so DNS rebinding between check and
/// connect cannot slip through, and every redirect hop passes here again. Off only with
/// <see cref="FeedstandOptions.AllowPrivateAddresses"/>.
/// </summary>
public sealed class AddressGuard(IOptions<FeedstandOptions> options, NameLookups lookups)
{
    private readonly bool _allowPrivate = options.Value.AllowPrivateAddresses;

    /// <summary>Whether a URL may be fetched at all: its scheme and every address its host resolves to.</summary>
    /// <returns>Null when allowed, else the reason as a <see cref="FetchError"/>.</returns>
    public async Task<FetchError?> CheckUrlAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return new FetchError(FetchErrorKind.InvalidUrl, $"not a valid absolute URL: {url}");
        }
        if (CheckScheme(uri) is { } schemeError)
        {
            return schemeError;
        }
        try
        {
            await ResolveAsync(uri.IdnHost, ct).ConfigureAwait(false);
            return null;
        }
        catch (AddressRefusedException ex)
        {
            return new FetchError(FetchErrorKind.Blocked, ex.Message);
        }
        catch (SocketException ex)
        {
            return new FetchError(FetchErrorKind.Dns, $"cannot resolve {uri.Host}: {ex.Message}");
        }
    }

    /// <summary>Only http and https are fetched.</summary>
    public static FetchError? CheckScheme(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.Scheme is "http" or "https"
            ? null
            : new FetchError(FetchErrorKind.Blocked, $"refused: only http and https URLs are fetched, not {uri.Scheme}:");
    }

    /// <summary>The addresses of a host, all checked.</summary>
    /// <exception cref="AddressRefusedException">One of them is not public.</exception>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            addresses = await lookups.LookUpAsync(host, ct).ConfigureAwait(false);
            if (addresses.Length == 0)
            {
                throw new SocketException((int)SocketError.HostNotFound);
            }
        }
        if (!_allowPrivate)
        {
            foreach (var address in addresses)
            {
                if (!IsPublic(address))
                {
                    throw new AddressRefusedException($"refused: {host} resolves to a private address ({address})");
                }
            }
        }
        return addresses;
    }

    /// <summary>The connect step of the fetch client: resolve, check, connect to a checked address.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, ct).ConfigureAwait(false);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostUnreachable);
    }

    /// <summary>False for loopback, private, link-local (cloud metadata), CGNAT, multicast, broadcast and unspecified addresses.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return !(b[0] == 0                                   // 0.0.0.0/8 "this network"
                || b[0] == 10                                    // 10/8
                || b[0] == 127                                   // loopback
                || b[0] == 100 && (b[1] & 0xC0) == 64            // 100.64/10 CGNAT
                || b[0] == 169 && b[1] == 254                    // link-local, 169.254.169.254 metadata
                || b[0] == 172 && (b[1] & 0xF0) == 16            // 172.16/12
                || b[0] == 192 && b[1] == 168                    // 192.168/16
                || b[0] == 192 && b[1] == 0 && b[2] == 0         // 192.0.0/24 IETF protocol assignments
                || b[0] == 198 && (b[1] & 0xFE) == 18            // 198.18/15 benchmarking
                || b[0] >= 224);                                 // multicast 224/4, reserved 240/4, broadcast
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (IPAddress.IPv6Loopback.Equals(address) || IPAddress.IPv6Any.Equals(address))
            {
                return false;
            }
            Span<byte> b = stackalloc byte[16];
            address.TryWriteBytes(b, out _);
            if ((b[0] & 0xFE) == 0xFC                            // fc00::/7 unique local
                || b[0] == 0xFE && (b[1] & 0xC0) == 0x80         // fe80::/10 link-local
                || b[0] == 0xFE && (b[1] & 0xC0) == 0xC0         // fec0::/10 site-local (deprecated)
                || b[0] == 0xFF)                                 // multicast
            {
                return false;
            }
            // IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed an IPv4 address.
            if (b[..12].IndexOfAnyExcept((byte)0) < 0)
            {
                return IsPublic(new IPAddress(b[12..]));
            }
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..12].IndexOfAnyExcept((byte)0) < 0)
            {
                return IsPublic(new IPAddress(b[12..]));
            }
            if (b[0] == 0x20 && b[1] == 0x02)
            {
                return IsPublic(new IPAddress(b[2..6]));
            }
            return true;
        }
        return false;
    }
}

/// <summary>A host resolved to an address the guard does not let fetches reach.</summary>
public sealed class AddressRefusedException : Exception
{
    public AddressRefusedException(string message) : base(message) { }
    public AddressRefusedException(string message, Exception inner) : base(message, inner) { }
    public AddressRefusedException() { }
}
