; Finds import statements anywhere in the file (top level, functions, try blocks):
; their aliases decide what a name like `nn` or `GN` refers to.

; `import torch.nn as nn`, `import torch`
(import_statement) @import

; `from torch import nn`, `from torch.nn import GroupNorm as GN`, `from torch.nn import *`
(import_from_statement) @import
