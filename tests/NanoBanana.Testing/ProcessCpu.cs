using System.Diagnostics;
using System.Globalization;

namespace NanoBanana.Testing;

/// <summary>
/// CPU seconds spent so far by a process or by a PostgreSQL cluster (from /proc, Linux), so a benchmark can say
/// where the CPU of its work went when every side shares the machine's cores.
/// </summary>
public static class ProcessCpu
{
    private const double TicksPerSecond = 100;   // USER_HZ: /proc reports CPU times in these on Linux

    /// <summary>The postmaster of the test cluster (<see cref="TestPostgres"/>).</summary>
    public static async Task<int> TestPostmasterAsync() =>
        int.Parse(File.ReadLines(Path.Combine((await TestPostgres.GetAsync()).DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    public static double OfThisProcess() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    /// <summary>User + system time of a live process.</summary>
    public static double OfProcess(int pid)
    {
        var stat = Stat(pid.ToString(CultureInfo.InvariantCulture));
        return (Field(stat, 11) + Field(stat, 12)) / TicksPerSecond;
    }

    /// <summary>The cluster's CPU: its live processes' own and what the postmaster reaped from backends that ended.</summary>
    public static double OfCluster(int postmaster)
    {
        var own = Stat(postmaster.ToString(CultureInfo.InvariantCulture));
        var ticks = Field(own, 11) + Field(own, 12) + Field(own, 13) + Field(own, 14);
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(folder);
            if (!pid.All(char.IsAsciiDigit))
            {
                continue;
            }

            try
            {
                var stat = Stat(pid);
                if (int.Parse(stat[1], CultureInfo.InvariantCulture) == postmaster)
                {
                    ticks += Field(stat, 11) + Field(stat, 12);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked; its time is in the postmaster's reaped figures now.
            }
        }

        return ticks / TicksPerSecond;
    }

    // The fields after the command name's closing parenthesis: state, ppid, … utime (11), stime (12), cutime (13), cstime (14).
    private static string[] Stat(string pid) => File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].Trim().Split(' ');

    private static long Field(string[] stat, int index) => long.Parse(stat[index], CultureInfo.InvariantCulture);
}
