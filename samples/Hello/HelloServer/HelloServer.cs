using Microsoft.Extensions.Logging;

namespace Hello;

public sealed partial class HelloServer
{
    // The generated part declares `private partial void Greet(Client client);`: the build fails until it is written.
    private partial void Greet(Client client)
    {
        var hello = client.RequestAs<HelloMsg.Hello>();
        Logger.LogInformation("hello from {Name}", hello.Name);
        client.Reply = new HelloMsg.World { Greeting = $"Hello, {hello.Name}!" };
    }
}
