; Finds every call whose callee is a plain or dotted name: the candidates for layer
; constructors. Which of them build a normalization layer is decided afterwards from
; the file's imports, so that `nn.GroupNorm`, `GN` and `torch.nn.GroupNorm` all match.

; `name(...)` and `module.name(...)`
(call
  function: [(identifier) (attribute)] @layer.name
  arguments: (argument_list) @layer.args) @layer
