"""Small readers, one per notation family, each turning what a student wrote into the plain
notation the forms read: the scalar as written in the file (``source``), LaTeX (``latex``),
arrays as programs print them (``printed``), and answers with words or labels around them
(``labelled``)."""
