namespace LoadGen;

/// <summary>How to start one service under test as a child process listening on 127.0.0.1:<see cref="Port"/>.</summary>
/// <param name="ReadyPath">Polled from process creation until it answers 200: start-to-ready ends there.</param>
internal sealed record ServiceLaunch(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    string ReadyPath,
    int Port);
