import WanggeCore
