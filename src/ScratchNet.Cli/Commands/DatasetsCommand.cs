using System.CommandLine;
using ScratchNet.Cli.Options;
using ScratchNet.Cli.Progress;
using ScratchNet.Data;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet datasets list|info|verify|fetch`: what data ScratchNet knows, where it is, and whether it is intact.</summary>
public static class DatasetsCommand
{
    public static Command Create()
    {
        var command = new Command("datasets", "List, describe, verify (SHA-256) and fetch the datasets.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Info());
        command.Subcommands.Add(Verify());
        command.Subcommands.Add(Fetch());
        return command;
    }

    private static Option<string?> DataDir() => Opt.Text("--data-dir", "Folder searched first for dataset files.", "dir");

    private static DatasetManager Manager(ParseResult parse, Option<string?> dataDir, bool allowDownload = false) =>
        new(new DatasetManagerOptions { DataDir = parse.GetValue(dataDir), AllowDownload = allowDownload });

    private static Command List()
    {
        var dataDir = DataDir();
        var json = Opt.Flag("--json", "Print one JSON object.");
        var command = new Command("list", "Every named dataset, its task and whether it is available here.") { dataDir, json };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var status = Manager(parse, dataDir).Status();
            if (parse.GetValue(json))
            {
                JsonOut.Write(output, w =>
                {
                    w.WriteStartArray("datasets");
                    foreach (var s in status)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", s.Info.Name);
                        w.WriteString("kind", s.Info.Kind.ToString().ToLowerInvariant());
                        w.WriteString("task", s.Info.Task);
                        w.WriteBoolean("available", s.Available);
                        if (s.Location is not null) w.WriteString("location", s.Location);
                        w.WriteString("description", s.Info.Description);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                });
                return ExitCodes.Success;
            }
            output.WriteLine($"{"name",-15} {"kind",-10} {"task",-15} {"here",-5} description");
            foreach (var s in status)
                output.WriteLine($"{s.Info.Name,-15} {s.Info.Kind.ToString().ToLowerInvariant(),-10} {s.Info.Task,-15} {(s.Available ? "yes" : "no"),-5} {s.Info.Description}");
            output.WriteLine("A CSV file path works wherever a dataset name does (train --dataset data.csv --target COLUMN).");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Info()
    {
        var name = new Argument<string>("name") { Description = "The dataset name." };
        var dataDir = DataDir();
        var json = Opt.Flag("--json", "Print one JSON object.");
        var command = new Command("info", "Describe a dataset: task, classes, files and hashes, source and licence, where it was found.") { name, dataDir, json };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var manager = Manager(parse, dataDir);
            var info = manager.Info(parse.GetValue(name)!);
            var status = manager.Status(info);
            if (parse.GetValue(json))
            {
                JsonOut.Write(output, w =>
                {
                    w.WriteString("name", info.Name);
                    w.WriteString("kind", info.Kind.ToString().ToLowerInvariant());
                    w.WriteString("task", info.Task);
                    w.WriteString("description", info.Description);
                    w.WriteString("source", info.Source);
                    w.Strings("class_names", info.ClassNames);
                    w.WriteStartArray("files");
                    foreach (var f in info.Files) { w.WriteStartObject(); w.WriteString("name", f.FileName); w.WriteString("sha256", f.Sha256); w.WriteEndObject(); }
                    w.WriteEndArray();
                    w.WriteBoolean("available", status.Available);
                    if (status.Location is not null) w.WriteString("location", status.Location);
                    w.Strings("search_folders", status.SearchFolders);
                });
                return ExitCodes.Success;
            }
            output.WriteLine($"{info.Name}: {info.Description}");
            output.WriteLine($"kind:     {info.Kind.ToString().ToLowerInvariant()}, task {info.Task}");
            if (info.ClassNames.Count > 0) output.WriteLine($"classes:  {string.Join(", ", info.ClassNames)}");
            if (info.DefaultTarget is not null) output.WriteLine($"target:   {info.DefaultTarget}");
            output.WriteLine($"source:   {info.Source}");
            foreach (var f in info.Files) output.WriteLine($"file:     {f.FileName}  sha256 {f.Sha256}");
            output.WriteLine(info.Kind == DatasetKind.Synthetic ? "status:   generated from a seed" : status.Location is not null ? $"status:   found in {status.Location}" : "status:   not found here");
            foreach (var folder in status.SearchFolders) output.WriteLine($"searched: {folder}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Verify()
    {
        var name = new Argument<string>("name") { Description = "The dataset name." };
        var dataDir = DataDir();
        var json = Opt.Flag("--json", "Print one JSON object.");
        var command = new Command("verify", "Check the SHA-256 of a dataset's (decompressed) files; exit code 4 on a mismatch.") { name, dataDir, json };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            string n = parse.GetValue(name)!;
            var results = Manager(parse, dataDir).Verify(n);
            bool ok = results.All(r => r.Ok);
            if (parse.GetValue(json))
            {
                JsonOut.Write(output, w =>
                {
                    w.WriteString("name", n);
                    w.WriteBoolean("ok", ok);
                    w.WriteStartArray("files");
                    foreach (var r in results)
                    {
                        w.WriteStartObject();
                        w.WriteString("path", r.Path); w.WriteString("expected", r.Expected); w.WriteString("actual", r.Actual); w.WriteBoolean("ok", r.Ok);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                });
            }
            else
            {
                if (results.Count == 0) output.WriteLine($"{n}: nothing to verify (generated or a user file: no reference hash)");
                foreach (var r in results) output.WriteLine(r.Ok ? $"ok        {r.Path}" : $"MISMATCH  {r.Path}: sha256 {r.Actual}, expected {r.Expected}");
            }
            return ok ? ExitCodes.Success : ExitCodes.CheckFailed;
        });
        return command;
    }

    private static Command Fetch()
    {
        var name = new Argument<string>("name") { Description = "The dataset name." };
        var dataDir = DataDir();
        var command = new Command("fetch", "Make sure a dataset's files are here (downloading Fashion-MNIST or MNIST into the cache if needed, with progress); prints the folder.") { name, dataDir };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            string n = parse.GetValue(name)!;
            var manager = new DatasetManager(new DatasetManagerOptions
            {
                DataDir = parse.GetValue(dataDir), AllowDownload = true, OnDownloadProgress = DownloadProgressLines.To(parse.InvocationConfiguration.Error),
            });
            string? folder = manager.Fetch(n);
            output.WriteLine(folder is null ? $"{n}: generated from a seed, nothing to fetch" : $"{n}: {folder}");
            return ExitCodes.Success;
        });
        return command;
    }
}
