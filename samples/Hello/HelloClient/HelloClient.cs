namespace Hello;

public sealed partial class HelloClient
{
    private partial void ConnectToServer(ConnectArguments arguments) => Connect(arguments.Endpoint);

    private partial void SignalConnected(ConnectArguments arguments) => SignalReply(new Ready());

    private partial HelloMsg.Hello ComposeHello(SayHelloArguments arguments) => new() { Name = arguments.Name };

    private partial void SignalGreeted(HelloMsg.World message) => SignalReply(new Greeted { Greeting = message.Greeting });
}
