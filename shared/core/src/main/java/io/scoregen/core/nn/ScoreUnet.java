package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A compact NCSN++/DDPM++-style U-Net: a 3×3 input conv, per resolution {@code resBlocks} residual blocks (attention
 * after each at the lowest resolution) and a stride-2 downsample; a middle residual–attention–residual stage; the
 * mirrored up path with {@code resBlocks + 1} residual blocks per level, each fed the matching down-path activation by
 * concatenation, and nearest ×2 upsampling; then GroupNorm → SiLU → 3×3 conv back to the image channels.
 *
 * <p>The time embedding (width nf, MLP to 4·nf) is computed once for the distinct conditionings and broadcast over the
 * batch, so at equal t every example sees bit-identical conditioning. A class-conditional one adds its
 * {@link ClassEmbedding} (width 4·nf) to the time embedding before its SiLU, as guided-diffusion does. A Palette one
 * ({@link UnetConfig#conditionChannels()} &gt; 0) takes x_t with the condition image concatenated along channels and
 * returns the image channels only.
 */
public final class ScoreUnet extends ScoreNetwork {

    /** One stage of the path, in execution order; {@code skip}: its output feeds the up path. */
    private record Stage(Kind kind, AbstractBlock block, boolean skip) {}

    private enum Kind {
        RES,
        ATTN,
        DOWN,
        UP_RES,
        UPSAMPLE
    }

    private final UnetConfig config;
    private final TimeEmbedding embedding;
    private final Conv input;
    private final List<Stage> stages = new ArrayList<>();
    private final GroupNorm outputNorm;
    private final Conv output;
    private final int levels;
    private final ClassEmbedding classes;

    ScoreUnet(UnetConfig config) {
        this.config = config;
        int nf = config.channels();
        int tembDim = 4 * nf;
        boolean rescale = config.skipRescale();
        this.levels = config.channelMults().size();
        this.embedding =
                addChildBlock("embedding", new TimeEmbedding(config.embedding(), nf, config.fourierScale(), tembDim));
        this.input = addChildBlock("input", Conv.same3x3(config.inputChannels(), nf, 1));

        Deque<Integer> skipChannels = new ArrayDeque<>();
        skipChannels.push(nf);
        int ch = nf;
        for (int level = 0; level < levels; level++) {
            int out = nf * config.channelMults().get(level);
            for (int r = 0; r < config.resBlocks(); r++) {
                add(
                        Kind.RES,
                        "down" + level + "_res" + r,
                        new ResnetBlock(ch, out, tembDim, rescale),
                        !attentionAt(level));
                ch = out;
                if (attentionAt(level)) {
                    add(Kind.ATTN, "down" + level + "_attn" + r, new AttnBlock(ch, rescale), true);
                }
                skipChannels.push(ch);
            }
            if (level < levels - 1) {
                add(Kind.DOWN, "down" + level + "_downsample", new Downsample(ch), true);
                skipChannels.push(ch);
            }
        }
        add(Kind.RES, "mid_res0", new ResnetBlock(ch, ch, tembDim, rescale), false);
        if (config.attention()) {
            add(Kind.ATTN, "mid_attn", new AttnBlock(ch, rescale), false);
        }
        add(Kind.RES, "mid_res1", new ResnetBlock(ch, ch, tembDim, rescale), false);
        for (int level = levels - 1; level >= 0; level--) {
            int out = nf * config.channelMults().get(level);
            for (int r = 0; r <= config.resBlocks(); r++) {
                add(
                        Kind.UP_RES,
                        "up" + level + "_res" + r,
                        new ResnetBlock(ch + skipChannels.pop(), out, tembDim, rescale),
                        false);
                ch = out;
                if (attentionAt(level)) {
                    add(Kind.ATTN, "up" + level + "_attn" + r, new AttnBlock(ch, rescale), false);
                }
            }
            if (level > 0) {
                add(Kind.UPSAMPLE, "up" + level + "_upsample", new Upsample(ch), false);
            }
        }
        this.outputNorm = addChildBlock("output_norm", GroupNorm.forChannels(ch));
        this.output = addChildBlock("output", Conv.same3x3(ch, config.imageChannels(), 0));
        // Last, so that the other weights draw what an unconditional network of the same seed draws.
        this.classes = config.numClasses() > 0
                ? addChildBlock("class_emb", new ClassEmbedding(config.numClasses(), tembDim))
                : null;
    }

    private boolean attentionAt(int level) {
        return config.attention() && level == levels - 1;
    }

    private void add(Kind kind, String name, AbstractBlock block, boolean skip) {
        stages.add(new Stage(kind, addChildBlock(name, block), skip));
    }

    @Override
    public UnetConfig config() {
        return config;
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, NDArray c, NDArray labels, boolean training) {
        long side = 1L << (levels - 1);
        if (x.getShape().get(2) % side != 0 || x.getShape().get(3) % side != 0) {
            throw new IllegalArgumentException("image " + x.getShape() + " not divisible by " + side);
        }
        if (x.getShape().get(1) != config.inputChannels()) {
            throw new IllegalArgumentException("input " + x.getShape() + " needs " + config.inputChannels()
                    + " channels (" + config.conditionChannels() + " of them the condition)");
        }
        NDArray temb = Scoped.apply(
                () -> Silu.apply(withClass(
                        ps, embedding.apply(ps, distinctConditioning(c), training), classes, labels, training)),
                labels == null ? new NDArray[] {c} : new NDArray[] {c, labels});
        NDArray h = input.apply(ps, x);
        Deque<NDArray> skips = new ArrayDeque<>();
        skips.push(h);
        for (Stage stage : stages) {
            NDArray in = h;
            h = switch (stage.kind()) {
                case RES -> Scoped.apply(() -> ((ResnetBlock) stage.block()).apply(ps, in, temb, training), in, temb);
                case UP_RES -> {
                    NDArray skip = skips.pop();
                    yield Scoped.apply(
                            () -> ((ResnetBlock) stage.block()).apply(ps, in.concat(skip, 1), temb, training),
                            in,
                            temb,
                            skip);
                }
                case ATTN -> Scoped.apply(() -> ((AttnBlock) stage.block()).apply(ps, in), in);
                case DOWN -> Scoped.apply(() -> ((Downsample) stage.block()).apply(ps, in), in);
                case UPSAMPLE -> Scoped.apply(() -> ((Upsample) stage.block()).apply(ps, in), in);
            };
            if (stage.skip()) {
                skips.push(h);
            }
        }
        NDArray last = h;
        return Scoped.apply(() -> output.apply(ps, Silu.apply(outputNorm.apply(ps, last))), last);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        embedding.initialize(manager, dataType, inputShapes[1]);
        Shape temb = embedding.getOutputShapes(new Shape[] {inputShapes[1]})[0];
        Shape h = init(input, manager, dataType, inputShapes[0]);
        Deque<Shape> skips = new ArrayDeque<>();
        skips.push(h);
        for (Stage stage : stages) {
            h = switch (stage.kind()) {
                case RES -> init(stage.block(), manager, dataType, h, temb);
                case UP_RES -> init(stage.block(), manager, dataType, concatChannels(h, skips.pop()), temb);
                case ATTN, DOWN, UPSAMPLE -> init(stage.block(), manager, dataType, h);
            };
            if (stage.skip()) {
                skips.push(h);
            }
        }
        outputNorm.initialize(manager, dataType, h);
        output.initialize(manager, dataType, h);
        if (classes != null) {
            classes.initialize(manager, dataType, new Shape(inputShapes[0].get(0)));
        }
    }

    private static Shape init(AbstractBlock block, NDManager manager, DataType dataType, Shape... shapes) {
        block.initialize(manager, dataType, shapes);
        return block.getOutputShapes(shapes)[0];
    }

    private static Shape concatChannels(Shape a, Shape b) {
        return new Shape(a.get(0), a.get(1) + b.get(1), a.get(2), a.get(3));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), config.imageChannels(), x.get(2), x.get(3))};
    }
}
