using System.Net;
using System.Net.Sockets;

namespace UserServices.Tests.Infrastructure;

/// <summary>Loopback ports nobody listens on now (other worktrees run tests at the same time: never a fixed port).</summary>
public static class FreePorts
{
    /// <summary>The first port of <c>net.ipv4.ip_local_port_range</c> (32768 by default).</summary>
    private static readonly int EphemeralLow = ReadEphemeralLow();

    /// <summary>
    /// A random loopback port below the kernel's ephemeral range that nothing is bound to. Not the kernel's pick for
    /// port 0: that comes from the ephemeral range, which is also where every outgoing connection of this busy test
    /// run takes its source port, so between this check and the child process's bind one of them could take it. A
    /// port below the range is only ever taken by someone who asks for it by number.
    /// </summary>
    public static int Next()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = Random.Shared.Next(10_000, EphemeralLow);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException) when (attempt < 100)
            {
                // Bound by someone else: another draw.
            }
        }
    }

    private static int ReadEphemeralLow()
    {
        try
        {
            var first = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            return Math.Max(int.Parse(first, System.Globalization.CultureInfo.InvariantCulture), 10_001);
        }
        catch (IOException)
        {
            return 32_768;
        }
    }

    /// <summary>Waits until something accepts connections on <paramref name="port"/>, or throws after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout, Func<bool>? exited = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && exited?.Invoke() != true)
            {
                await Task.Delay(50);
            }
        }
    }
}
