System.Console.WriteLine("benchmarks: accuracy | speed");
