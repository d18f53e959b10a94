package dev.eddy.cli;

import dev.eddy.report.bench.DesignFigures;
import dev.eddy.report.bench.MemoryFloor;
import picocli.CommandLine.Option;

/** The two numbers the benchmark report draws the LES's bandwidth floor with; the defaults are design §7's (H200). */
public final class MemoryFloorFlags {
    @Option(names = "--floor-bytes", paramLabel = "B",
            description = "bytes an RK2 LES step moves per grid point in fp32, for the bandwidth floor (default ${DEFAULT-VALUE}: design §7)")
    double bytesPerPoint = DesignFigures.RK2_BYTES_PER_POINT_FP32;
    @Option(names = "--floor-bandwidth", paramLabel = "TB/s",
            description = "the device's memory bandwidth for the floor (default ${DEFAULT-VALUE}: the H200's, design §7)")
    double terabytesPerSecond = DesignFigures.H200_BYTES_PER_SECOND / 1e12;

    MemoryFloor floor() {
        return new MemoryFloor(bytesPerPoint, terabytesPerSecond * 1e12);
    }
}
