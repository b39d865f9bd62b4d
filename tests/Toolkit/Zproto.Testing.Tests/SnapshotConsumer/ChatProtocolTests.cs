using Xunit;
using Zproto.Testing;

namespace SnapshotConsumer;

/// <summary>
/// The code generated from Models/chat_msg.xml, as the application's build generates it (its
/// AdditionalFiles item has Namespace="Chat.Protocols"; the project's RootNamespace is Chat).
/// </summary>
public sealed class ChatProtocolTests
{
    private static GeneratedCode Generate() =>
        new ZprotoModels()
            .WithRootNamespace("Chat")
            .Add("Models/chat_msg.xml", @namespace: "Chat.Protocols")
            .Generate();

    /// <summary>Every generated file equals Snapshots/NAME.verified.cs; ZPROTO_ACCEPT_SNAPSHOTS=1 accepts changes.</summary>
    [Fact]
    public void Generated_code_matches_the_verified_snapshots() => Generate().VerifySnapshots();

    /// <summary>The generated code compiles with nullable enabled and every warning an error.</summary>
    [Fact]
    public void Generated_code_compiles_without_diagnostics() => Generate().AssertCompiles();
}
