"""Face-detection heat-map demo: MTCNN (Zhang, Zhang, Li, Qiao, IEEE SPL 2016, arXiv:1604.02878)
shown the DDFD way (Farfade, Saberian, Li, ICMR 2015, arXiv:1502.02766): a face classifier swept
over an image pyramid gives a probability map per scale.

`net` holds P-Net, R-Net and O-Net; `pyramid` the scales, P-Net's maps and the combined
heat-map; `boxes` NMS, box corrections and crops; `detect` the three-stage cascade; `predict`
the demo's entry points; `params` its checked inputs; `fetch` the set-up step that brings the
released weights. `data`, `metrics`, `haar`, `evaluate`, `card` and `bench` measure it against
OpenCV's Haar cascade for the model card in `weights/`.
"""
