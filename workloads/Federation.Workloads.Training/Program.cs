using static TorchSharp.torch;
TorchSharp.torch.set_num_threads(1);
var a = tensor(new float[] { 1, 2, 3 });
Console.WriteLine((a * 2).sum().item<float>());
return 0;
