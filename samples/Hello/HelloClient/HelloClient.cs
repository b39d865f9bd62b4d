namespace Hello;

public sealed partial class HelloClient
{
    private partial void ConnectToServer() => Connect(ArgumentsAs<ConnectArguments>().Endpoint);

    private partial void SignalConnected() => SignalReply(new Ready());

    private partial void PrepareHello() => Outgoing = new HelloMsg.Hello { Name = ArgumentsAs<SayHelloArguments>().Name };

    private partial void SignalGreeted() => SignalReply(new Greeted { Greeting = ((HelloMsg.World)Message!).Greeting });
}
