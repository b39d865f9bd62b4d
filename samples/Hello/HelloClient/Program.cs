using System;
using Hello;
using Zproto.Runtime.Clients;

// HelloClient ENDPOINT [NAME]: says hello to the server at ENDPOINT and prints its answer.
if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: HelloClient ENDPOINT [NAME]");
    return 2;
}

await using var client = new HelloClient(new ClientOptions());
client.Start();
await client.ConnectAsync(args[0]);
HelloClient.Greeted reply = await client.SayHelloAsync(args.Length > 1 ? args[1] : "world", callTimeout: TimeSpan.FromSeconds(5));
Console.WriteLine(reply.Greeting);   // Hello, world!
return 0;
