using System.CommandLine;
using TorchSharp;

namespace BarlowTwins.Cli.Commands;

/// <summary><c>barlow info</c>: what this machine gives the tensor engine.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show the tensor engine, threads and devices available.");
        command.SetAction(_ =>
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            Console.WriteLine($"TorchSharp  {typeof(torch).Assembly.GetName().Version}");
            Console.WriteLine($"threads     {torch.get_num_threads()} (cores: {Environment.ProcessorCount})");
            Console.WriteLine($"cuda        {(torch.cuda.is_available() ? $"{torch.cuda.device_count()} device(s)" : "not available")}");
            Console.WriteLine($"bf16 matmul {(torch.ones(2, 2, dtype: torch.ScalarType.BFloat16).matmul(torch.ones(2, 2, dtype: torch.ScalarType.BFloat16)).sum().to_type(torch.ScalarType.Float32).item<float>() == 8 ? "ok" : "wrong")}");
            return 0;
        });
        return command;
    }
}
