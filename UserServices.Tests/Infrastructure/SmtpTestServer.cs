using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a free loopback port, keeping every message it accepts, parsed by
/// MimeKit. It can be stopped and started again on the same port, to play an outage of the operator's mail relay.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private CancellationTokenSource? _running;
    private Task? _serving;

    private SmtpTestServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>The value of SMTP_URL that reaches this server.</summary>
    public string Url => $"smtp://127.0.0.1:{Port}";

    public ConcurrentQueue<MimeMessage> Received { get; } = new();

    public static SmtpTestServer Start()
    {
        var server = new SmtpTestServer(FreePort());
        server.Resume();
        return server;
    }

    /// <summary>Listens again on the same port after <see cref="StopAsync"/>.</summary>
    public void Resume()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(Received));
        _running = new CancellationTokenSource();
        _serving = new SmtpServer.SmtpServer(options, services).StartAsync(_running.Token);
        WaitUntilListening();
    }

    /// <summary>Stops listening: connections are refused until <see cref="Resume"/>.</summary>
    public async Task StopAsync()
    {
        if (_running is null)
        {
            return;
        }

        await _running.CancelAsync();
        try
        {
            await _serving!;
        }
        catch (OperationCanceledException)
        {
        }

        _running.Dispose();
        _running = null;
    }

    /// <summary>The messages sent to <paramref name="address"/>, waiting up to <paramref name="timeout"/> for <paramref name="count"/> of them.</summary>
    public Task<IReadOnlyList<MimeMessage>> WaitForAsync(string address, int count = 1, TimeSpan? timeout = null) =>
        Eventually.ValueAsync(() => Task.FromResult(To(address)), found => found.Count >= count, found => $"{found.Count} mails to {address}", timeout);

    /// <summary>The mails to <paramref name="address"/> titled <paramref name="subject"/>, once there are <paramref name="count"/> (a reset link, a confirmation).</summary>
    public Task<IReadOnlyList<MimeMessage>> WaitForSubjectAsync(string address, string subject, int count = 1) =>
        Eventually.ValueAsync(
            () => Task.FromResult<IReadOnlyList<MimeMessage>>(To(address).Where(m => m.Subject == subject).ToList()),
            found => found.Count >= count,
            _ => $"no '{subject}' mail to {address}");

    public IReadOnlyList<MimeMessage> To(string address) => Received
        .Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))
        .ToList();

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }

    private sealed class Store(ConcurrentQueue<MimeMessage> received) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            received.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
