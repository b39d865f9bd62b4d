using Microsoft.Extensions.Logging;

namespace Hello;

public sealed partial class HelloServer
{
    // The generated half declares both methods, and the build fails until they are written: "greet" runs
    // under HELLO only, so it receives that HELLO typed; `send WORLD` calls ComposeWorld for the reply.
    private partial void Greet(Client client, HelloMsg.Hello request) =>
        Logger.LogInformation("hello from {Name}", request.Name);

    private partial HelloMsg.World ComposeWorld(Client client, HelloMsg.Hello request) =>
        new() { Greeting = $"Hello, {request.Name}!" };
}
