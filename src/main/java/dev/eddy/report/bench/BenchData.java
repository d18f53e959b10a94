package dev.eddy.report.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Every recognised file normalised into measurements, each kind reduced to its current numbers
 * ({@link Newest}), with the warnings about files and rows left out.
 */
public record BenchData(Newest<LesPoint> les, Newest<FftPoint> fft, Newest<CodecPoint> codec, Newest<PipelineRun> pipeline,
                        Newest<EnsemblePoint> ensemble, List<BenchSource> files, List<String> warnings) {

    public static BenchData of(BenchFiles.Loaded loaded) {
        List<String> warnings = new ArrayList<>(loaded.warnings());
        List<LesPoint> les = new ArrayList<>();
        List<FftPoint> fft = new ArrayList<>();
        List<CodecPoint> codec = new ArrayList<>();
        List<PipelineRun> pipeline = new ArrayList<>();
        List<EnsemblePoint> ensemble = new ArrayList<>();
        for (BenchDoc d : loaded.docs()) {
            switch (d.source().kind()) {
                case LES_STEP -> les.addAll(LesPoint.read(d, warnings));
                case FFT -> fft.addAll(FftPoint.read(d, warnings));
                case CODEC, ENCODE_REPORT -> codec.addAll(CodecPoint.read(d, warnings));
                case PIPELINE -> pipeline.addAll(PipelineRun.read(d, warnings));
                case ENSEMBLE -> ensemble.addAll(EnsemblePoint.read(d, warnings));
            }
        }
        return new BenchData(Newest.of(les), Newest.of(fft), Newest.of(codec), Newest.of(pipeline), Newest.of(ensemble),
                loaded.docs().stream().map(BenchDoc::source).sorted(BenchSource::newestFirst).toList(), warnings);
    }
}
