namespace UserServices.Api.Mail;

/// <summary>Wakes the sender when a request of this replica has put mail in the outbox.</summary>
public sealed class MailSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Wake()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake-pending: one wake-up covers every row committed before the sender looks.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
