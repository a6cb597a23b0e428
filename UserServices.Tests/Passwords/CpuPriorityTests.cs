using UserServices.Api.Passwords;

namespace UserServices.Tests.Passwords;

public sealed class CpuPriorityTests
{
    /// <summary>The nice value of the calling thread, as the kernel reports it (field 19 of /proc/thread-self/stat).</summary>
    private static int CurrentNice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Raises_the_calling_thread_while_the_scope_lasts_and_restores_it_after()
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var privileged = Environment.UserName == "root";
                CurrentNice().ShouldBe(0);
                using (CpuPriority.Raise(5))
                {
                    CurrentNice().ShouldBe(privileged ? -5 : 0);
                }

                CurrentNice().ShouldBe(0);
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        failure.ShouldBeNull();
    }

    [Fact]
    public void Zero_steps_changes_nothing()
    {
        using (CpuPriority.Raise(0))
        {
            CurrentNice().ShouldBe(0);
        }
    }
}
