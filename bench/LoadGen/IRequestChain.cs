namespace LoadGen;

/// <summary>One worker's requests, each made from the answer to the one before, so none can be sent twice.</summary>
internal interface IRequestChain
{
    HttpRequestMessage Next();

    /// <summary>The body of an answer with the expected status; returns an error (the worker then stops), or null.</summary>
    string? Answered(string body);
}
