package org.geopigeon.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Cross-entropy against soft targets: L = mean over the batch of -sum_i y_i log softmax(z)_i.
 * DJL's SoftmaxCrossEntropyLoss with sparseLabel=false computes the same sum, but we spell it out so
 * the formula of the paper is visible where it is used. Labels: [B, C] targets; predictions: [B, C] logits.
 */
final class SoftTargetCrossEntropy extends Loss {

    SoftTargetCrossEntropy() {
        super("SoftTargetCrossEntropy");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logp = predictions.singletonOrThrow().logSoftmax(-1);
        return logp.mul(labels.singletonOrThrow()).sum(new int[] {-1}).neg().mean();
    }
}
